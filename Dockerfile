# One image recipe for every service: the module's executable jar, split into Spring Boot's
# layers so that a code change rebuilds only the small application layer.
#   ./mvnw -B package -DskipTests && docker build --build-arg MODULE=api-gateway -t veo-upscale/api-gateway .
# docker-compose.yml builds all of them; configuration comes only from the environment.
ARG JAVA_IMAGE=eclipse-temurin:17-jre

FROM ${JAVA_IMAGE} AS layers
ARG MODULE
WORKDIR /build
# .dockerignore lets only the executable jars in (not the -lib.jar), so this matches one file.
COPY ${MODULE}/target/${MODULE}-*.jar app.jar
RUN java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

FROM ${JAVA_IMAGE}
ARG MODULE
# curl for the health checks.
RUN apt-get update \
	&& apt-get install -y --no-install-recommends curl \
	&& rm -rf /var/lib/apt/lists/* \
	&& useradd --system --uid 10001 --no-create-home app
WORKDIR /app
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
USER app
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
LABEL org.opencontainers.image.title="veo-upscale ${MODULE}"
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]

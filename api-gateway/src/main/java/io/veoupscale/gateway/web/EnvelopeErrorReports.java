package io.veoupscale.gateway.web;

import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Puts {@link EnvelopeErrorReportValve} in the place of Tomcat's (and Boot's) HTML error
 * report valve on the host. Runs after Boot's own Tomcat customizer, which adds the valve
 * this one replaces.
 */
@Component
class EnvelopeErrorReports implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		factory.addContextCustomizers((context) -> {
			if (context.getParent() instanceof StandardHost host) {
				Pipeline pipeline = host.getPipeline();
				for (Valve valve : pipeline.getValves()) {
					if (valve instanceof ErrorReportValve) {
						pipeline.removeValve(valve);
					}
				}
				host.setErrorReportValveClass(EnvelopeErrorReportValve.class.getName());
				pipeline.addValve(new EnvelopeErrorReportValve());
			}
		});
	}

}

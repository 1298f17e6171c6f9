package io.veoupscale.gateway.web;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

class ApiExceptionHandlerTests {

	private final ApiExceptionHandler handler = new ApiExceptionHandler();

	@Test
	void answersAWildcardContentTypeThatSpringCannotReadWith415() {
		for (String wildcard : new String[] { "*/*", "application/*" }) {
			MockHttpServletRequest request = new MockHttpServletRequest("GET", "/actuator/prometheus");
			request.setContentType(wildcard);

			ResponseEntity<ApiResponse<Void>> response = this.handler.illegalArgument(
					new IllegalArgumentException("Content-Type cannot contain wildcard type '*'"), request);

			assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
			assertThat(response.getBody().error()).isEqualTo("Content-Type must be application/json");
		}
	}

	@Test
	void keepsAnyOtherIllegalArgumentAnInternalError() {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/upscale-batches");
		request.setContentType("application/json");

		ResponseEntity<ApiResponse<Void>> response = this.handler.illegalArgument(new IllegalArgumentException("bug"),
				request);

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
	}

}

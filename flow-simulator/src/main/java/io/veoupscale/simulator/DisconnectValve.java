package io.veoupscale.simulator;

import java.io.IOException;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Closes the socket of a call marked for a simulated disconnect before Tomcat writes any
 * byte of its response, which the servlet API alone cannot do.
 */
class DisconnectValve extends ValveBase {

	static final String DROP_ATTRIBUTE = DisconnectValve.class.getName() + ".drop";

	DisconnectValve() {
		super(true);
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		getNext().invoke(request, response);
		if (Boolean.TRUE.equals(request.getAttribute(DROP_ATTRIBUTE)) && !response.isCommitted()) {
			// CLOSE_NOW swallows whatever the response holds and closes the connection.
			response.getCoyoteResponse().action(ActionCode.CLOSE_NOW, null);
		}
	}

}

package io.veoupscale.store;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * Names a service instance as a lease owner: the configured name, or the host name with a
 * random suffix so that two instances on one host never share leases.
 */
public final class InstanceIds {

	private InstanceIds() {
	}

	/**
	 * Resolves an instance id.
	 * @param configured the configured id; blank for a generated one
	 * @return the id
	 */
	public static String resolve(String configured) {
		if (!configured.isBlank()) {
			return configured;
		}
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "instance";
		}
		return host + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

}

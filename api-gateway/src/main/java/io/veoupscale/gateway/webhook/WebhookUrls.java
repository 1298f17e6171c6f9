package io.veoupscale.gateway.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

import io.veoupscale.gateway.web.ApiException;
import io.veoupscale.store.webhook.WebhookProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Keeps webhooks away from internal addresses: a target is http(s), and every address its
 * host resolves to is public, unless the operator's allow-list
 * ({@code UPSCALE_WEBHOOKS_ALLOWED_CIDRS}) holds it. Checked when a URL is registered,
 * and again by the sender's resolver at each connection, so a name that later resolves
 * elsewhere is refused too.
 */
@Component
public class WebhookUrls {

	private static final int MAX_URL_LENGTH = 2000;

	/** Ranges no webhook reaches without the allow-list, beside the JDK's own checks. */
	private static final List<Cidr> INTERNAL = List.of(Cidr.parse("0.0.0.0/8"), Cidr.parse("100.64.0.0/10"),
			Cidr.parse("192.0.0.0/24"), Cidr.parse("198.18.0.0/15"), Cidr.parse("240.0.0.0/4"), Cidr.parse("fc00::/7"),
			Cidr.parse("64:ff9b::/96"), Cidr.parse("2001:db8::/32"));

	private final List<Cidr> allowed;

	WebhookUrls(WebhookProperties properties) {
		this.allowed = properties.allowedCidrs()
			.stream()
			.map(String::trim)
			.filter((cidr) -> !cidr.isEmpty())
			.map(Cidr::parse)
			.toList();
	}

	/**
	 * Checks a URL a client registers.
	 * @param field the request field, for the message
	 * @param url the URL
	 * @return the URL, normalised
	 * @throws ApiException 400 with what is wrong
	 */
	public String check(String field, @Nullable String url) {
		if (url == null || url.isBlank()) {
			throw invalid(field + " must be an http or https URL");
		}
		if (url.length() > MAX_URL_LENGTH) {
			throw invalid(field + " must be at most " + MAX_URL_LENGTH + " characters");
		}
		URI uri;
		try {
			uri = new URI(url.trim());
		}
		catch (URISyntaxException ex) {
			throw invalid(field + " is not a valid URL: " + ex.getReason());
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!scheme.equals("http") && !scheme.equals("https")) {
			throw invalid(field + " must use http or https" + (scheme.isEmpty() ? "" : ", not " + scheme));
		}
		String host = uri.getHost();
		if (host == null || host.isEmpty()) {
			throw invalid(field + " must name a host");
		}
		if (uri.getRawUserInfo() != null) {
			throw invalid(field + " must not carry credentials (user:password@)");
		}
		try {
			resolve(host);
		}
		catch (RefusedAddressException ex) {
			throw invalid(field + " " + ex.getMessage());
		}
		catch (UnknownHostException ex) {
			throw invalid(field + " host " + host + " does not resolve");
		}
		return uri.normalize().toString();
	}

	/**
	 * Resolves a host for a connection, refusing internal addresses.
	 * @param host the host name or address literal
	 * @return its addresses, all permitted
	 * @throws UnknownHostException if it does not resolve
	 * @throws RefusedAddressException if any of its addresses is internal and not allowed
	 */
	InetAddress[] resolve(String host) throws UnknownHostException {
		String bare = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		InetAddress[] addresses = InetAddress.getAllByName(bare);
		for (InetAddress address : addresses) {
			String reason = refusal(address);
			if (reason != null) {
				throw new RefusedAddressException("host " + host + " resolves to " + address.getHostAddress() + ", "
						+ reason + "; webhooks reach public addresses only unless UPSCALE_WEBHOOKS_ALLOWED_CIDRS "
						+ "allows it");
			}
		}
		return addresses;
	}

	private @Nullable String refusal(InetAddress address) {
		if (this.allowed.stream().anyMatch((cidr) -> cidr.contains(address))) {
			return null;
		}
		InetAddress effective = embeddedIpv4(address);
		if (effective.isLoopbackAddress()) {
			return "a loopback address";
		}
		if (effective.isLinkLocalAddress()) {
			return "a link-local address (cloud metadata lives there)";
		}
		if (effective.isSiteLocalAddress()) {
			return "a private address";
		}
		if (effective.isAnyLocalAddress()) {
			return "the unspecified address";
		}
		if (effective.isMulticastAddress()) {
			return "a multicast address";
		}
		if (INTERNAL.stream().anyMatch((cidr) -> cidr.contains(effective))) {
			return "a reserved, shared (CGNAT) or unique-local address";
		}
		if (effective instanceof Inet4Address && effective.getHostAddress().equals("255.255.255.255")) {
			return "the broadcast address";
		}
		return null;
	}

	/** An IPv4-mapped IPv6 address is judged as the IPv4 address it holds. */
	private static InetAddress embeddedIpv4(InetAddress address) {
		if (address instanceof Inet6Address) {
			byte[] bytes = address.getAddress();
			boolean mapped = true;
			for (int i = 0; i < 10; i++) {
				mapped &= bytes[i] == 0;
			}
			if (mapped && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) {
				try {
					return InetAddress.getByAddress(new byte[] { bytes[12], bytes[13], bytes[14], bytes[15] });
				}
				catch (UnknownHostException ex) {
					throw new IllegalStateException(ex);
				}
			}
		}
		return address;
	}

	private static ApiException invalid(String message) {
		return new ApiException(HttpStatus.BAD_REQUEST, message);
	}

	/**
	 * A host resolved to an address webhooks may not reach.
	 */
	static class RefusedAddressException extends UnknownHostException {

		RefusedAddressException(String message) {
			super(message);
		}

	}

	/**
	 * An address range.
	 *
	 * @param network the network address
	 * @param prefix the prefix length
	 */
	record Cidr(byte[] network, int prefix) {

		static Cidr parse(String text) {
			int slash = text.indexOf('/');
			try {
				if (!text.matches("[0-9a-fA-F.:]+(/[0-9]{1,3})?")) {
					throw new IllegalArgumentException();
				}
				InetAddress address = InetAddress.getByName((slash < 0) ? text : text.substring(0, slash));
				int bits = address.getAddress().length * 8;
				int prefix = (slash < 0) ? bits : Integer.parseInt(text.substring(slash + 1));
				if (prefix > bits) {
					throw new IllegalArgumentException();
				}
				return new Cidr(address.getAddress(), prefix);
			}
			catch (UnknownHostException | RuntimeException ex) {
				throw new IllegalArgumentException("upscale.webhooks.allowed-cidrs (UPSCALE_WEBHOOKS_ALLOWED_CIDRS): '"
						+ text + "' is not a CIDR such as 127.0.0.0/8 or fd00::/8");
			}
		}

		boolean contains(InetAddress address) {
			byte[] bytes = address.getAddress();
			if (bytes.length != this.network.length) {
				return false;
			}
			int full = this.prefix / 8;
			for (int i = 0; i < full; i++) {
				if (bytes[i] != this.network[i]) {
					return false;
				}
			}
			int rest = this.prefix % 8;
			if (rest == 0) {
				return true;
			}
			int mask = (0xff << (8 - rest)) & 0xff;
			return (bytes[full] & mask) == (this.network[full] & mask);
		}

	}

}

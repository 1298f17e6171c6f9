/**
 * What every endpoint shares: the response envelope, error mapping and API key checks.
 */
@NullMarked
package io.veoupscale.gateway.web;

import org.jspecify.annotations.NullMarked;

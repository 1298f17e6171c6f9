/**
 * Profiles (Google accounts) and their Flow cookies, encrypted at rest.
 */
@NullMarked
package io.veoupscale.store.profile;

import org.jspecify.annotations.NullMarked;

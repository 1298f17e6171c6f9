package io.veoupscale.store;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * The store as a service would use it, for the store's own tests.
 */
@SpringBootApplication
@Import(StoreConfiguration.class)
class StoreTestApplication {

}

package io.veoupscale.store;

import io.veoupscale.testsupport.UsesTestInfrastructure;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The store's contract on the Docker-free infrastructure (embedded KRaft broker, local or
 * embedded PostgreSQL).
 */
@SpringBootTest(classes = StoreTestApplication.class, properties = "upscale.outbox.poll-interval=200ms")
@UsesTestInfrastructure
class StoreIntegrationTests extends StoreContract {

}

-- W3C trace context (traceparent: 00-<trace id>-<span id>-<flags>) kept with the rows that
-- outlive the call that wrote them, so that work done later joins the trace that caused it:
-- a batch's starts join the trace of the request that submitted it (its trace id is the
-- batch's traceId in the state and in every event), an outbox row is sent in the context of
-- the transaction that appended it, and a tracked upscale's checks join the upscale's trace.
alter table batches add column traceparent text;
alter table accepted_batches add column traceparent text;
alter table outbox_events add column traceparent text;
alter table operation_checks add column traceparent text;

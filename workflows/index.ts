// The workflow bundle's entry point: every workflow the worker runs.
export { bookingRequestWorkflow } from './booking-request.workflow';
export { bookingOccurrenceWorkflow } from './booking-occurrence.workflow';
export { creditLotWorkflow } from './credit-lot.workflow';

/**
 * The booking workflow's id for a request, for code outside the Temporal client that
 * links to or looks up a request's workflow (API views, CLI). Defined once, in the contract.
 */
export { workflowIdFor } from '../../workflows/contract';

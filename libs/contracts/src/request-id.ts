/**
 * The Temporal header that carries an HTTP request's id (X-Request-Id) from the API's client
 * calls into the workflow and on to the activities it schedules, so their log lines name it.
 */
export const REQUEST_ID_HEADER = 'icp-request-id';

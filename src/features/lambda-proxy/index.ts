// Lambda proxy integrations (AWS_PROXY): the event a function receives for a method request and
// the method response made from what it returns. REST APIs use payload format 1.0; HTTP APIs
// choose 1.0 or 2.0 per integration. Pure functions: invoking the function is not done here.
export { httpApiEventV1, httpApiEventV2, restProxyEvent, type EventOptions } from './events.js';
export { httpApiResponseV1, httpApiResponseV2, restProxyResponse } from './responses.js';

// apigatewayv2 sends every date as an ISO-8601 timestamp (the `date-time` format of its model),
// where apigateway (v1) sends the epoch seconds Gatehouse keeps.

export const isoDate = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString();

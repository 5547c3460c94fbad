// Problems in an API's authorization settings, found when a deployment is compiled. They stop
// the deployment with a message naming the setting, instead of failing requests later.

export class AuthConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthConfigurationError';
  }
}

// Problems in an API's authorization settings, found when a deployment is compiled. They stop
// the deployment with a message naming the setting, instead of failing requests later.

export class AuthConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthConfigurationError';
  }
}

/** Runs a compile function, putting the authorizer's name in front of its configuration errors. */
export function withAuthorizerName<T>(label: string, compile: () => T): T {
  try {
    return compile();
  } catch (error) {
    if (error instanceof AuthConfigurationError) {
      throw new AuthConfigurationError(`authorizer "${label}": ${error.message}`);
    }
    throw error;
  }
}

// API keys on the request path (REST APIs): the index of keys and the API stages their usage
// plans cover, the holder the gateway swaps on every config change, the method request check,
// and AWS's API key file format for imports.
export {
  ApiKeyIndex,
  ApiKeyState,
  buildApiKeyIndex,
  stageKeyOf,
  type ApiKeyEntry,
  type ApiKeyIdentity,
  type ApiKeySource,
} from './api-key-index.js';
export {
  apiKeyOf,
  compileApiKeyCheck,
  type ApiKeyCheckOptions,
  type ApiKeySourceType,
} from './api-key-check.js';
export { KeyFileError, parseKeyFile, type KeyFile, type KeyFileEntry } from './key-file.js';

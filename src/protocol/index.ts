/** The KMS wire: JSON 1.1 codec, the in-process SDK request handler, and the HTTP server. */
export {
  DEFAULT_REGION,
  parseSigV4Credential,
  regionFromHostname,
  type CallContextOptions,
} from './call-context.js';
export {
  decodeRequest,
  encodeError,
  encodeErrorBody,
  encodeOutput,
  INTERNAL_ERROR_MESSAGE,
  KMS_CONTENT_TYPE,
  KMS_TARGET_PREFIX,
  OutputShapeError,
  type DecodedKmsRequest,
  type EncodedKmsResponse,
} from './codec.js';
export { type InternalErrorListener } from './dispatch.js';
export { DEFAULT_MAX_BODY_BYTES, startKmsServer, type KmsServer, type KmsServerOptions } from './http-server.js';
export {
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_HEADER_BYTES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type ServerGuardOptions,
} from './http-guards.js';
export { KMS_API } from './kms-api.js';
export {
  createKmsRequestHandler,
  type KmsRequestHandler,
  type KmsRequestHandlerOptions,
} from './request-handler.js';
export type { ListShape, MapShape, OperationShapes, ScalarShape, Shape, StructShape } from './shapes.js';

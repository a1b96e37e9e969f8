/**
 * KMS error names and the HTTP status KMS answers with. Source: aws-kms-facts.md §2 (AWS KMS API reference, "Common
 * Errors" and each operation's "Errors" section). KMS answers most errors with 400 even where the SDK model says
 * 404/409; the wire codec sends these statuses.
 */
export const KMS_ERROR_STATUS = {
  ValidationException: 400,
  SerializationException: 400,
  UnknownOperationException: 400,
  NotFoundException: 400,
  DisabledException: 400,
  KMSInvalidStateException: 400,
  InvalidKeyUsageException: 400,
  InvalidCiphertextException: 400,
  IncorrectKeyException: 400,
  KMSInvalidSignatureException: 400,
  KMSInvalidMacException: 400,
  AccessDeniedException: 400,
  /**
   * A request signed for a region KMS does not have ("Credential should be scoped to a valid region, not '…'"). Not in
   * the SDK's KMS model: the SDK surfaces it as a KMSServiceException of that name, and does not retry it (it is
   * retried only after the SDK corrects a clock skew, which the model never reports). See callers.ts.
   */
  InvalidSignatureException: 400,
  /**
   * A SigV4 `Credential=` that is not `keyid/date/region/service/term` (protocol/call-context.ts). Not in the SDK's KMS
   * model either; not retried.
   */
  IncompleteSignatureException: 400,
  /**
   * Credentials that name no principal (CallContext.principal that is not an IAM ARN). Not in the SDK's KMS model; AWS
   * answers it, HTTP 400, for an access key it does not know ("The security token included in the request is invalid").
   */
  UnrecognizedClientException: 400,
  ThrottlingException: 400,
  LimitExceededException: 400,
  AlreadyExistsException: 400,
  InvalidAliasNameException: 400,
  InvalidArnException: 400,
  InvalidGrantTokenException: 400,
  /** ListKeys, ListAliases, ListResourceTags: a Marker this endpoint did not issue. */
  InvalidMarkerException: 400,
  MalformedPolicyDocumentException: 400,
  /**
   * CreateAlias/UpdateAlias/DeleteAlias on a reserved `alias/aws/` name. Not in the SDK's KMS model (the SDK surfaces
   * it as a KMSServiceException named NotAuthorizedException); moto and local-kms both answer it this way.
   */
  NotAuthorizedException: 400,
  TagException: 400,
  UnsupportedOperationException: 400,
  DryRunOperationException: 412,
  DependencyTimeoutException: 503,
  KMSInternalException: 500,
  KeyUnavailableException: 500,
} as const;

/** The name of an error the model answers, as KMS names it (what the SDK exposes as `error.name`). */
export type KmsErrorName = keyof typeof KMS_ERROR_STATUS;

/** KMS's own wording for a throttled request (aws-kms-facts.md §2). */
export const THROTTLING_MESSAGE =
  'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.';

/**
 * An error answered by the KMS model. `name` is the KMS error name (what the SDK exposes as `error.name`), `status`
 * the HTTP status the wire codec sends.
 */
export class KmsError extends Error {
  override readonly name: KmsErrorName;
  readonly status: number;

  constructor(name: KmsErrorName, message: string) {
    super(message);
    this.name = name;
    this.status = KMS_ERROR_STATUS[name];
  }
}

/** Shapes shared by the KMS model, the wire codec and the clients. SDK-shaped: blobs are `Uint8Array`, dates `Date`. */

/** Who is calling and where: the partition (account, region) a request lands in, and who pays its quota. */
export interface CallContext {
  /**
   * AWS region of the endpoint called, e.g. `us-east-1`: one KMS has (`KMS_REGIONS`) or one added with the model
   * option `regions`; any other is refused with `InvalidSignatureException`.
   */
  readonly region: string;
  /** The calling account (12 digits); charged and throttled. Defaults to the model's account. */
  readonly accountId?: string;
  /**
   * The calling principal's ARN (IAM user, role, assumed-role session or account root), whose key and identity
   * policies decide the request (`KmsModelOptions.principals`). Undefined: the account root of `accountId`. A principal
   * always calls from its own account: when given, the ARN's account is the calling account (charged and throttled,
   * also for another account's key) and `accountId` is not read. Denied requests are charged only under the model
   * option `chargeDenied`.
   */
  readonly principal?: string;
  /**
   * Set when an AWS service (S3, Secrets Manager, …) calls on the caller's behalf: `kms:ViaService` in policies, as
   * `<service>.<region>.amazonaws.com` (a bare service name such as `s3` is expanded with the request's region).
   */
  readonly viaService?: string;
}

/** Every operation the model answers, by its KMS API name. */
export const KMS_OPERATIONS = [
  // crypto
  'Encrypt',
  'Decrypt',
  'ReEncrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateRandom',
  'Sign',
  'Verify',
  'GetPublicKey',
  'GenerateMac',
  'VerifyMac',
  // keys
  'CreateKey',
  'DescribeKey',
  'ListKeys',
  'EnableKey',
  'DisableKey',
  'ScheduleKeyDeletion',
  'CancelKeyDeletion',
  'EnableKeyRotation',
  'DisableKeyRotation',
  'GetKeyRotationStatus',
  'RotateKeyOnDemand',
  'GetKeyPolicy',
  'PutKeyPolicy',
  'UpdateKeyDescription',
  'TagResource',
  'UntagResource',
  'ListResourceTags',
  // aliases
  'CreateAlias',
  'UpdateAlias',
  'DeleteAlias',
  'ListAliases',
] as const;

/** The KMS API name of an operation the model answers, e.g. `Encrypt`. */
export type KmsOperation = (typeof KMS_OPERATIONS)[number];

/** SDK-shaped request: field names as in the KMS API, blobs as `Uint8Array`. */
export type KmsInput = Record<string, unknown>;
/** SDK-shaped response: field names as in the KMS API, blobs as `Uint8Array`, dates as `Date`. */
export type KmsOutput = Record<string, unknown>;

/** Anything that answers KMS calls: the model, or a model reached through another thread. */
export interface KmsCallable {
  call(operation: string, input: KmsInput, context: CallContext): Promise<KmsOutput>;
}

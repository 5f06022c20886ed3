// Adapter: the credentials of every AWS SDK client in a function bundle: those in the function's environment, where
// Lambda puts the execution role's session (and the local runtime each function's own access key). The bundles
// resolve the SDK's default credential chain, @aws-sdk/credential-provider-node, to this module (lib/bundling.ts):
// the chain's other sources (SSO, profiles, credential processes, web identity, container and instance metadata, and
// the STS and SSO clients they bring) are about 80 KB that every cold start parses and no function ever uses.

/**
 * Stands in for the default chain's `defaultProvider`: the SDK's own environment source, which the chain tries
 * first and which always answers in Lambda (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN).
 */
export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';

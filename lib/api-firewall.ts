// Infrastructure: the WAFv2 web ACL in front of the API stage: a per-client rate limit on the routes that take a
// credential without a session (sign-in, the new-password challenge, the reset link), then AWS's common rule set.
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { GATEWAY_STATUS_OF } from '../functions/http/error-status';

/**
 * The paths the rate-based rule counts: /sign-in, /sign-in/new-password and /password-reset/* (verify, complete),
 * with or without the stage as the first segment (the execute-api URL has it, a custom domain's mapping does not),
 * and with or without a trailing slash. WAF matches it after URL-decoding and lower-casing the path.
 */
export function credentialPathPattern(stageName: string): string {
  return `^(/${stageName})?/(sign-in|sign-in/new-password|password-reset/[^/]+)/?$`;
}

/**
 * Rules of the common rule set that only count, never block. They look for markup, file paths and URLs in request
 * bodies, and the bodies here are passwords, which by policy may be any text (NIST SP 800-63B): blocking a password
 * for containing `<script` or `../` would refuse it with a 403 that cannot say why. Bodies are validated against
 * their schema, stored as data and never rendered or used as a path; the matches still show in the rule metrics.
 */
export const COUNT_ONLY_RULES = ['CrossSiteScripting_BODY', 'GenericLFI_BODY', 'GenericRFI_BODY', 'EC2MetaDataSSRF_BODY'] as const;

export interface ApiFirewallProps {
  /** The ARN of the API stage the web ACL protects. */
  readonly stageArn: string;
  /** The stage's name, as written in its URLs (a plain string, not the stage's token). */
  readonly stageName: string;
  /**
   * How many requests one client (IP address) may send to the credential paths in five minutes before it gets 429
   * until its rate falls again. The functions keep their own per-account and per-link limits besides.
   * @default 100
   */
  readonly credentialRequestsPerFiveMinutes?: number;
}

/** A regional WAFv2 web ACL, associated with the API stage. */
export class ApiFirewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id);
    const { stageName } = props;
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      description: `adminpass ${stageName}: rate limit on the credential routes, AWS common rule set`,
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`adminpass-${stageName}`),
      customResponseBodies: {
        TooManyRequests: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({ error: { code: 'TOO_MANY_REQUESTS', message: 'Too many attempts from your address. Wait a few minutes and try again.' } }),
        },
      },
      rules: [
        {
          // First: a flood of guesses is refused before the costlier managed rules look at it.
          name: 'CredentialRoutesRateLimit',
          priority: 0,
          action: { block: { customResponse: { responseCode: GATEWAY_STATUS_OF.TOO_MANY_REQUESTS, customResponseBodyKey: 'TooManyRequests' } } },
          statement: {
            rateBasedStatement: {
              limit: props.credentialRequestsPerFiveMinutes ?? 100,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                regexMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  regexString: credentialPathPattern(stageName),
                  textTransformations: [
                    { priority: 0, type: 'URL_DECODE' },
                    { priority: 1, type: 'LOWERCASE' },
                  ],
                },
              },
            },
          },
          visibilityConfig: visibility(`adminpass-${stageName}-credential-rate`),
        },
        {
          name: 'AWSManagedRulesCommonRuleSet',
          priority: 1,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: 'AWSManagedRulesCommonRuleSet',
              ruleActionOverrides: COUNT_ONLY_RULES.map((name) => ({ name, actionToUse: { count: {} } })),
            },
          },
          visibilityConfig: visibility(`adminpass-${stageName}-common`),
        },
      ],
    });

    new wafv2.CfnWebACLAssociation(this, 'StageAssociation', {
      resourceArn: props.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}

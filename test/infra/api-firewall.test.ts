// Stack tests (lib/api-firewall.ts): the WAFv2 web ACL associated with the API stage: a rate-based rule on exactly the
// credential routes, then AWS's common rule set with the body rules that would refuse a password only counting.
import { routeList } from '../../functions/contract/routes';
import { COUNT_ONLY_RULES, credentialPathPattern } from '../../lib/api-firewall';
import { Match, logicalIdOf, resourcesOf, synth, type Json } from './synth';

const webAclOf = (template: Json): Json => Object.values(resourcesOf(template, 'AWS::WAFv2::WebACL'))[0]!.Properties;
const ruleOf = (template: Json, name: string): Json => (webAclOf(template).Rules as Json[]).find((rule) => rule.Name === name)!;

describe('when the web ACL is created', () => {
  it('is regional, allows by default, and is associated with the API stage', () => {
    const synthesized = synth();
    const restApiId = logicalIdOf(synthesized.stateless, synthesized.stateless.api.restApi);
    const stageId = logicalIdOf(synthesized.stateless, synthesized.stateless.api.stage);
    const [webAclId] = Object.keys(resourcesOf(synthesized.api.toJSON(), 'AWS::WAFv2::WebACL'));

    synthesized.api.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    synthesized.api.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    synthesized.api.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      WebACLArn: { 'Fn::GetAtt': [webAclId, 'Arn'] },
      ResourceArn: { 'Fn::Join': ['', Match.arrayWith([{ Ref: restApiId }, '/stages/', { Ref: stageId }])] },
    });
  });

  it('rate-limits each client on the credential routes first, answering 429 in the error envelope', () => {
    const template = synth().api.toJSON();

    const rule = ruleOf(template, 'CredentialRoutesRateLimit');
    expect(rule).toMatchObject({
      Priority: 0,
      Action: { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'TooManyRequests' } } },
      Statement: {
        RateBasedStatement: {
          AggregateKeyType: 'IP',
          EvaluationWindowSec: 300,
          Limit: 100,
          ScopeDownStatement: { RegexMatchStatement: { FieldToMatch: { UriPath: {} }, RegexString: credentialPathPattern('dev') } },
        },
      },
    });
    expect(JSON.parse(webAclOf(template).CustomResponseBodies.TooManyRequests.Content)).toEqual({
      error: { code: 'TOO_MANY_REQUESTS', message: expect.any(String) },
    });
  });

  it('applies the AWS managed common rule set, its body rules counting only', () => {
    const rule = ruleOf(synth().api.toJSON(), 'AWSManagedRulesCommonRuleSet');

    expect(rule).toMatchObject({
      Priority: 1,
      OverrideAction: { None: {} },
      Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } },
    });
    expect(rule.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual(
      COUNT_ONLY_RULES.map((name) => ({ Name: name, ActionToUse: { Count: {} } })),
    );
  });

  it('publishes metrics and samples for the ACL and each rule', () => {
    const acl = webAclOf(synth().api.toJSON());

    for (const config of [acl.VisibilityConfig, ...(acl.Rules as Json[]).map((rule) => rule.VisibilityConfig)]) {
      expect(config).toMatchObject({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true });
    }
  });
});

describe('when the rate-limited paths are matched', () => {
  // WAF matches after URL-decoding and lower-casing; these paths are already both.
  const pattern = new RegExp(credentialPathPattern('prod'));

  it.each(['/prod/sign-in', '/sign-in', '/prod/sign-in/new-password', '/prod/password-reset/verify', '/prod/password-reset/complete', '/password-reset/verify/'])(
    'counts %s',
    (path) => {
      expect(pattern.test(path)).toBe(true);
    },
  );

  it.each(['/prod/password-reset', '/prod/sign-out', '/prod/me/password', '/prod/admins/01J/password-reset', '/prod/sign-in-x', '/other/sign-in', '/prod/health'])(
    'does not count %s',
    (path) => {
      expect(pattern.test(path)).toBe(false);
    },
  );

  it('covers exactly sign-in, the new-password challenge and the two reset-link routes of the route table', () => {
    const covered = routeList.filter((route) => pattern.test(`/prod${route.path}`)).map((route) => route.operationId);

    expect(covered.sort()).toEqual(['answerNewPasswordChallenge', 'completePasswordReset', 'signIn', 'verifyPasswordReset']);
  });
});

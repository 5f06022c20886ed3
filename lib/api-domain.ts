// Infrastructure: the stage's optional custom domain: an ACM certificate validated by DNS in the domain's hosted
// zone, an API Gateway regional domain name mapped at its root to the stage, and an alias record to it in the zone.
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

/** The URL a custom domain serves the stage at. */
export const urlOfDomain = (domain: Pick<CustomDomain, 'domainName'>): string => `https://${domain.domainName}`;

/** A domain name in a Route 53 public hosted zone of the stage's account. */
export interface CustomDomain {
  /** The name clients and emailed links use, e.g. admin.your-domain.example. */
  readonly domainName: string;
  /** The id of the hosted zone the name is in (Z…). */
  readonly hostedZoneId: string;
  /** The name of that hosted zone, e.g. your-domain.example. */
  readonly hostedZoneName: string;
}

export interface ApiDomainProps {
  /** The domain, and the hosted zone its certificate is validated and its record created in. */
  readonly domain: CustomDomain;
  /** The API whose stage the domain serves at its root. */
  readonly restApi: apigateway.RestApi;
}

/** The stage served at https://<domainName>/, with no stage name in the path. */
export class ApiDomain extends Construct {
  readonly certificate: acm.Certificate;
  readonly domainName: apigateway.DomainName;
  readonly record: route53.ARecord;
  /** https://<domainName>, what emailed links are built on. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApiDomainProps) {
    super(scope, id);
    const { domainName, hostedZoneId, hostedZoneName } = props.domain;
    // From its id and name, not looked up: the synth stays offline and needs no account.
    const zone = route53.PublicHostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId, zoneName: hostedZoneName });
    this.certificate = new acm.Certificate(this, 'Certificate', { domainName, validation: acm.CertificateValidation.fromDns(zone) });
    this.domainName = new apigateway.DomainName(this, 'DomainName', {
      domainName,
      certificate: this.certificate,
      endpointType: apigateway.EndpointType.REGIONAL,
      securityPolicy: apigateway.SecurityPolicy.TLS_1_2,
    });
    // At the root: the stage's paths are the domain's, so https://<domainName>/password-reset is the screen.
    this.domainName.addBasePathMapping(props.restApi, { stage: props.restApi.deploymentStage });
    this.record = new route53.ARecord(this, 'AliasRecord', { zone, recordName: domainName, target: route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(this.domainName)) });
    this.url = urlOfDomain(props.domain);
  }
}

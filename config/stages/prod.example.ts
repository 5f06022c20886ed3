// Stage settings: an example of a production stage, with every setting. Copy it to config/stages/<stage>.ts (prod.ts,
// staging.ts: the file's name is the stage's) and deploy with `npm run deploy -- --stage <stage>`. lib/app-context.ts
// documents each setting; outside dev, account, region, senderEmail and alarmEmail are required.
import type { StageSettings } from '../../lib/app-context';

export default {
  // The stacks are pinned here: the app refuses credentials of another account.
  account: '123456789012',
  region: 'eu-west-1',
  senderEmail: 'no-reply@your-domain.example',
  // Easy DKIM on the whole domain: add the three CNAME records of the data stack's outputs SenderDkimRecord1..3.
  senderIdentity: 'domain',
  // SPF aligned with the From domain for DMARC: add the MX and TXT records of the outputs SenderMailFrom*.
  mailFromDomain: 'bounce.your-domain.example',
  alarmEmail: 'ops@your-domain.example',
  // Emailed links then point at https://admin.your-domain.example.
  customDomain: { domainName: 'admin.your-domain.example', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'your-domain.example' },
  allowedOrigins: ['https://console.your-domain.example'],
  bcryptCost: 12,
  passwordHashScheme: 'argon2id',
  pwnedPasswordsUrl: 'https://api.pwnedpasswords.com',
} satisfies StageSettings;

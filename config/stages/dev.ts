// Stage settings: dev, the disposable stage (its tables, pepper and logs go with its stacks). No account or region:
// dev deploys where the credentials point, and `npm run synth` builds it offline. The local runtime synthesizes it.
import type { StageSettings } from '../../lib/app-context';

export default {} satisfies StageSettings;

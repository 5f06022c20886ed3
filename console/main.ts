// Console (browser): the entry point esbuild bundles. Each screen module declares its routes; the shell then shows
// the screen of the address. A session ended by the API (expired, revoked) brings back the sign-in screen.
import { whenSessionEnds } from './api';
import { signedOut, start } from './app';
import './screens/sign-in';
import './screens/settings';
import './screens/my-account';
import './screens/admins';
import './screens/password-policy';
import './screens/audit-log';

whenSessionEnds((error) => signedOut(error.message, 'error', true));

const root = document.getElementById('app');
if (root !== null) start(root);

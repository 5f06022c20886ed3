// The structured logger: one JSON object per line, whatever a value holds, so a crafted name cannot forge a line.
import { jest } from '@jest/globals';
import { Logger } from '@aws-lambda-powertools/logger';
import { CreateAdminRequest } from '../../functions/contract/schemas';

describe('when a logged value holds a line break and a fake log entry', () => {
  it('stays on one line, the break escaped inside the JSON string', () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      new Logger({ serviceName: 'adminpass', logLevel: 'INFO' }).info('request', { name: 'Eve\n{"level":"INFO","message":"forged"}' });
    } finally {
      spy.mockRestore();
    }

    const output = lines.join('');
    expect(output.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(output).name).toBe('Eve\n{"level":"INFO","message":"forged"}');
  });
});

describe('when an admin name holds control characters', () => {
  it('is refused at the door', () => {
    const result = CreateAdminRequest.safeParse({ email: 'eve@acme.example', name: 'Eve\u0007\u202e', temporaryPassword: 'x'.repeat(20) });

    expect(result.success).toBe(false);
  });
});

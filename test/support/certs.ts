import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Test certificates made with Debian's openssl (present wherever PostgreSQL's packages are):
 * a CA, certificates it signs for a server (localhost, 127.0.0.1) and for clients, and an
 * unrelated CA for "wrong certificate" cases. EC P-256 keys keep generation fast.
 */
export interface Pair {
  cert: string;
  key: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export class TestCa {
  private constructor(
    readonly dir: string,
    readonly name: string,
    readonly cert: string,
    readonly key: string,
  ) {}

  static create(dir: string, name: string): TestCa {
    mkdirSync(dir, { recursive: true });
    const cert = join(dir, `${name}-ca.crt`);
    const key = join(dir, `${name}-ca.key`);
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key], dir);
    openssl(['req', '-x509', '-new', '-key', key, '-sha256', '-days', '2', '-subj', `/CN=${name} test CA`, '-out', cert], dir);
    return new TestCa(dir, name, cert, key);
  }

  /** A leaf certificate; `hosts` become subjectAltNames (IPs as IP entries) and make it a server certificate. */
  issue(commonName: string, hosts: string[] = []): Pair {
    const base = join(this.dir, `${this.name}-${commonName.replace(/[^a-z0-9]+/gi, '_')}`);
    const key = `${base}.key`;
    const csr = `${base}.csr`;
    const cert = `${base}.crt`;
    const ext = `${base}.ext`;
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${key}.ec`], this.dir);
    // PKCS#8 keys: what PostgreSQL, Go and Node all read.
    openssl(['pkcs8', '-topk8', '-nocrypt', '-in', `${key}.ec`, '-out', key], this.dir);
    openssl(['req', '-new', '-key', key, '-subj', `/CN=${commonName}`, '-out', csr], this.dir);
    const san = hosts.map((h) => (/^[\d.]+$/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
    writeFileSync(
      ext,
      [
        'basicConstraints=CA:FALSE',
        'keyUsage=digitalSignature,keyEncipherment',
        `extendedKeyUsage=${hosts.length ? 'serverAuth,clientAuth' : 'clientAuth'}`,
        ...(san ? [`subjectAltName=${san}`] : []),
      ].join('\n'),
    );
    openssl(['x509', '-req', '-in', csr, '-CA', this.cert, '-CAkey', this.key, '-CAcreateserial', '-days', '2', '-sha256', '-extfile', ext, '-out', cert], this.dir);
    return { cert, key };
  }
}

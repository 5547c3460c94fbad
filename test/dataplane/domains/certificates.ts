// Test certificates made with the openssl command line in a temporary directory: a server CA
// that signs one certificate per name set, and client CAs that sign client certificates.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pem {
  certificate: string;
  privateKey: string;
}

const NEW_KEY = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';

export class TestCertificates {
  readonly dir = mkdtempSync(join(tmpdir(), 'gatehouse-certs-'));

  /** A self-signed CA; returns the paths of its PEM files. */
  authority(name: string): Pem {
    const files = this.paths(name);
    this.openssl(
      `req -x509 ${NEW_KEY} -keyout ${files.privateKey} -out ${files.certificate} -days 2 ` +
        `-subj /O=Gatehouse/CN=${name} -addext basicConstraints=critical,CA:TRUE ` +
        '-addext keyUsage=critical,keyCertSign,cRLSign',
    );
    return files;
  }

  /** A certificate signed by `ca`: a server certificate for `dnsNames`, or a client one without. */
  issue(name: string, ca: Pem, dnsNames: string[] = []): Pem {
    const files = this.paths(name);
    const csr = join(this.dir, `${name}.csr`);
    const ext = join(this.dir, `${name}.ext`);
    writeFileSync(
      ext,
      dnsNames.length > 0
        ? `subjectAltName=${dnsNames.map((n) => `DNS:${n}`).join(',')}\nextendedKeyUsage=serverAuth\n`
        : 'extendedKeyUsage=clientAuth\n',
    );
    this.openssl(
      `req -new ${NEW_KEY} -keyout ${files.privateKey} -out ${csr} -subj /C=DE/O=Gatehouse/CN=${name}`,
    );
    this.openssl(
      `x509 -req -in ${csr} -CA ${ca.certificate} -CAkey ${ca.privateKey} -CAcreateserial ` +
        `-out ${files.certificate} -days 2 -extfile ${ext}`,
    );
    return files;
  }

  read(path: string): string {
    return readFileSync(path, 'utf8');
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private paths(name: string): Pem {
    return { certificate: join(this.dir, `${name}.crt`), privateKey: join(this.dir, `${name}.key`) };
  }

  /** Arguments separated by single spaces (the temporary directory's path has none). */
  private openssl(args: string): void {
    execFileSync('openssl', args.split(' '), { stdio: 'pipe' });
  }
}

// TLS secure contexts per custom domain: the certificate its certificateName (or certificateArn)
// names in the configuration file, plus for mutual TLS the truststore its truststoreUri points
// at. Built on first use and kept until the domain table changes; then every context is built
// again, so renewed PEM files are picked up by the next change. A file that cannot be read is
// logged once per domain and fails that domain's handshakes only.
import { readFile } from 'node:fs/promises';
import { createSecureContext, type SecureContext } from 'node:tls';
import { fileURLToPath } from 'node:url';
import type { DomainEntry, DomainTable } from './domain-table.js';

/** PEM files of one certificate, absolute paths. */
export interface CertificateFiles {
  certificate: string;
  privateKey: string;
}

export interface SecureContextOptions {
  /** Certificates by name: the configuration file's `certificates`. */
  certificates: Readonly<Record<string, CertificateFiles>>;
  /** For domains without a certificate of their own and hosts that are no custom domain. */
  defaultCertificate?: string | undefined;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

export class SecureContexts {
  private table: DomainTable | undefined;
  private readonly byDomain = new Map<string, Promise<SecureContext>>();

  constructor(private readonly options: SecureContextOptions) {}

  /**
   * The PEM text of the certificate for hosts that are no custom domain (and clients that send
   * no server name); undefined when none is configured or it cannot be read (logged).
   */
  async defaultPem(): Promise<{ cert: string; key: string } | undefined> {
    const name = this.options.defaultCertificate;
    if (name === undefined) return undefined;
    try {
      return await this.readCertificate(name);
    } catch (error) {
      this.options.log(`TLS: defaultCertificate ${name} cannot be used`, { reason: reasonOf(error) });
      return undefined;
    }
  }

  /** The context of a domain of `table`; rejects (after logging why) when it cannot be built. */
  forDomain(table: DomainTable, domain: DomainEntry): Promise<SecureContext> {
    if (table !== this.table) {
      this.table = table;
      this.byDomain.clear();
    }
    let context = this.byDomain.get(domain.domainName);
    if (!context) {
      const name = domain.certificateName ?? this.options.defaultCertificate;
      context = this.build(`domain ${domain.domainName}`, name, domain.mutualTls?.truststoreUri);
      // Handled by each handshake that asks; this keeps a failed build from going unhandled.
      context.catch(() => {});
      this.byDomain.set(domain.domainName, context);
    }
    return context;
  }

  private async build(
    owner: string,
    name: string | undefined,
    truststoreUri: string | undefined,
  ): Promise<SecureContext> {
    try {
      if (name === undefined)
        throw new Error('no certificate: set certificateName or certificateArn, or defaultCertificate');
      const [pem, ca] = await Promise.all([
        this.readCertificate(name),
        truststoreUri === undefined ? undefined : readPem(truststorePath(truststoreUri), 'truststoreUri'),
      ]);
      return createSecureContext({ ...pem, ...(ca !== undefined && { ca }) });
    } catch (error) {
      this.options.log(`TLS: ${owner} cannot be served over HTTPS`, { reason: reasonOf(error) });
      throw error;
    }
  }

  private async readCertificate(name: string): Promise<{ cert: string; key: string }> {
    if (!Object.hasOwn(this.options.certificates, name))
      throw new Error(`certificate "${name}" is not in the configuration file's certificates`);
    const files = this.options.certificates[name]!;
    const [cert, key] = await Promise.all([
      readPem(files.certificate, 'certificate'),
      readPem(files.privateKey, 'privateKey'),
    ]);
    return { cert, key };
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The truststore as AWS names it (`s3://…`) cannot be reached; a path or `file://` URI can. */
function truststorePath(uri: string): string {
  if (uri.startsWith('file://')) return fileURLToPath(uri);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri))
    throw new Error(`truststoreUri ${uri}: only a file path or file:// URI can be read`);
  return uri;
}

async function readPem(path: string, field: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`${field} ${path}: ${code}`, { cause: error });
  }
  if (!text.includes('-----BEGIN ')) throw new Error(`${field} ${path}: not a PEM file`);
  return text;
}

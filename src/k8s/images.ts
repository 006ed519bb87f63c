/**
 * Image references as nodes list and compare them (scenario-format "nodes": a reference without tag or
 * digest means `:latest`; upstream ImageLocality's normalizedImageName does the same), and the tag
 * parsers.ParseImageName reads from one (imagePullPolicy defaulting).
 */
import { memoize } from './util.js';

/** `nginx` -> `nginx:latest`; references with a tag or a digest are returned as given. */
export const imageKey: (image: string) => string = memoize((image: string): string => {
  const base = image.split('@')[0] ?? image;
  if (image.includes('@') || /:[^/]+$/.test(base)) return image;
  return `${image}:latest`;
});

// The reference grammar of github.com/distribution/reference regexp.go, which k/k's parsers.ParseImageName
// uses through ParseNormalizedNamed (Go's leftmost-first matching is JavaScript's, and `\w` is the same).
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const host = `(?:${domainNameComponent}(?:\\.${domainNameComponent})*|\\[(?:[a-fA-F0-9:]+)\\])`;
const domainAndPort = `${host}(?::[0-9]+)?`;
const tagPat = '[\\w][\\w.-]{0,127}';
const digestPat = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const referenceRegexp = new RegExp(`^((?:${domainAndPort}/)?${remoteName})(?::(${tagPat}))?(?:@(${digestPat}))?$`);
const anchoredNameRegexp = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
const anchoredIdentifierRegexp = /^[a-f0-9]{64}$/;
/** go-digest's algorithms k/k registers (parsers.go imports crypto/sha256 and crypto/sha512): hex length. */
const DIGEST_HEX: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** distribution/reference splitDockerDomain: the domain (docker.io by default) and the remote name. */
function splitDockerDomain(name: string): [string, string] {
  const i = name.indexOf('/');
  if (i < 0) return ['docker.io', `library/${name}`];
  const maybeDomain = name.slice(0, i), maybeRemote = name.slice(i + 1);
  let domain: string, remote: string;
  if (maybeDomain === 'index.docker.io') [domain, remote] = ['docker.io', maybeRemote];
  else if (maybeDomain === 'localhost' || /[.:]/.test(maybeDomain) || maybeDomain.toLowerCase() !== maybeDomain) {
    [domain, remote] = [maybeDomain, maybeRemote];
  } else [domain, remote] = ['docker.io', name];
  if (domain === 'docker.io' && !remote.includes('/')) remote = `library/${remote}`;
  return [domain, remote];
}

/** go-digest Digest.Validate: a registered algorithm and its exact length of lower-case hex. */
function validDigest(d: string): boolean {
  const i = d.indexOf(':');
  const size = DIGEST_HEX[d.slice(0, i)];
  return size !== undefined && d.length - i - 1 === size && /^[a-f0-9]+$/.test(d.slice(i + 1));
}

/**
 * The tag k/k pkg/util/parsers.ParseImageName gives an image: its explicit tag (a digest beside it or not),
 * `latest` when it has neither tag nor digest, `''` for a digest alone; and `''` when ParseNormalizedNamed
 * fails (SetDefaults_Container ignores that error: `_, tag, _, _ := parsers.ParseImageName(obj.Image)`),
 * e.g. an upper-case repository, a bad digest or a 64-hex identifier.
 */
export const imageTag: (image: string) => string = memoize((image: string): string => {
  if (anchoredIdentifierRegexp.test(image)) return '';
  const [domain, remainder] = splitDockerDomain(image);
  const tagSep = remainder.indexOf(':');
  const remote = tagSep < 0 ? remainder : remainder.slice(0, tagSep);
  if (remote.toLowerCase() !== remote) return '';
  const m = referenceRegexp.exec(`${domain}/${remainder}`);
  if (!m) return '';
  const path = anchoredNameRegexp.exec(m[1]!)?.[2] ?? m[1]!;
  if (path.length > 255) return ''; // RepositoryNameTotalLengthMax
  const tag = m[2] ?? '', digest = m[3] ?? '';
  if (digest && !validDigest(digest)) return '';
  return tag === '' && digest === '' ? 'latest' : tag;
});

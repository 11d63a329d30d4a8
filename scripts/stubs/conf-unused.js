// conf validates its store against a JSON schema (ajv, ajv-formats) and runs versioned migrations
// (semver) only when it is given a schema or migrations. kube-tutor's progress file uses neither,
// so the bundle carries this stand-in instead of ~400 KB of code compiled at every start; should
// conf ever be given a schema or migrations, it fails here with a message instead of silently.
const unused = (what) => () => {
  throw new Error(`kube-tutor's bundle leaves out ${what}: conf was given a schema or migrations (see scripts/build.mjs)`);
};
export class Ajv2020 {
  constructor() {
    unused('ajv')();
  }
}
const semver = { eq: unused('semver'), clean: unused('semver'), satisfies: unused('semver'), lte: unused('semver'), gt: unused('semver') };
export default { default: unused('ajv-formats'), ...semver };

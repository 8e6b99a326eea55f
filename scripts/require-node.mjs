// npm scripts run on the Node 24 that the `node` devDependency puts first on PATH; this
// guard turns an older Node (a missing `npm install`) into one clear sentence.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`Node ${process.versions.node} is too old: run this through npm (npm install && npm test) so the project's Node 24 is used.`);
  process.exit(1);
}

// The load generator, run by run.mjs in its own process on the other core. Protocol on stdio:
//   argv[2] = JSON { url, headers, body, requestId, connections, warmupSec, durationSec, amount? }
//   (`amount`: a fixed number of requests instead of a duration, for the quick smoke mode;
//   `requestId`: the JSON-RPC id in `body`, replaced by a fresh one in every request sent)
//   warms up (unmeasured), prints "ARMED", waits for a line on stdin (the harness reads the server's
//   CPU time then), loads for durationSec, prints one JSON line with the counts.
import { createInterface } from "node:readline";
import autocannon from "autocannon";

const config = JSON.parse(process.argv[2]);

// Every request gets a JSON-RPC id no other request in flight has, as a real client's would. Each
// connection gets its own block of IDS_PER_CONNECTION ids as prebuilt requests and cycles through
// them (one request in flight per connection, so an id comes back only after that many answers).
// Prebuilt, the requests cost the load generator nothing per request; autocannon's own idReplacement
// rebuilds every request (and miscounts Content-Length for ids of varying length).
const IDS_PER_CONNECTION = 2_000;
const idField = `"id":${config.requestId}`;
const [bodyHead, bodyTail] = config.body.split(idField);
if (bodyTail === undefined) throw new Error(`the load body has no ${idField}`);
let connectionsSetUp = 0;
function setupClient(client) {
  const firstId = 1 + connectionsSetUp++ * IDS_PER_CONNECTION;
  const requests = [];
  for (let id = firstId; id < firstId + IDS_PER_CONNECTION; id++) {
    requests.push({ body: `${bodyHead}"id":${id}${bodyTail}` });
  }
  client.setRequests(requests);
}

function run(durationSec, amount) {
  connectionsSetUp = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: config.url,
        method: "POST",
        headers: config.headers,
        body: config.body,
        setupClient,
        connections: config.connections,
        pipelining: 1,
        ...(amount ? { amount } : { duration: durationSec }),
        timeout: 10,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

if (config.warmupSec > 0) await run(config.warmupSec);
process.stdout.write("ARMED\n");
const lines = createInterface({ input: process.stdin });
await new Promise((resolve) => lines.once("line", resolve));
const started = performance.now();
const result = await run(config.durationSec, config.amount);
const elapsedMs = performance.now() - started;
lines.close();
const ok = result["2xx"];
process.stdout.write(
  `${JSON.stringify({
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    elapsedMs,
    rps: (ok * 1000) / elapsedMs,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
  })}\n`,
);

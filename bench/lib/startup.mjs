// One fresh process: time from `import()` of a bundle to the first correct tools/call answer, calling
// its Fetch handler in-process. Prints one JSON line { ms, ok, problem? }.
import { pathToFileURL } from "node:url";
import { baseHeaders, readAnswer, toolsCallBody } from "./protocol.mjs";

const [file, dialect] = process.argv.slice(2);
const text = "first answer";
const request = new Request("http://localhost/mcp", {
  method: "POST",
  headers: baseHeaders(dialect, "both"),
  body: toolsCallBody(dialect, 1, text),
});
const url = pathToFileURL(file).href;

const started = performance.now();
const mod = await import(url);
const handler = mod.default;
const response = await handler.fetch(request);
const answer = await readAnswer(response, 1);
const ms = performance.now() - started;

const got = answer.message?.result?.content?.[0]?.text;
const ok = response.status === 200 && got === text;
process.stdout.write(
  `${JSON.stringify({ ms, ok, problem: ok ? undefined : `${response.status} ${answer.raw.slice(0, 300)}` })}\n`,
);

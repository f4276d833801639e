// Drives a served project with the official SDK v1 client, as an MCP host would.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";

/**
 * initialize, tools/call of `add` with a progress token, and with `sessions` the `announce` tool, whose
 * notification must arrive on the session's GET stream. Resolves with what was observed.
 */
export async function drive(url, { sessions }) {
  const client = new Client({ name: "scaffold-check", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  const announced = [];
  let heard;
  const notified = new Promise((resolve) => {
    heard = resolve;
  });
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
    announced.push(notification.params.data);
    heard();
  });
  await client.connect(transport);
  try {
    const progress = [];
    const result = await client.callTool({ name: "add", arguments: { a: 2, b: 3 } }, undefined, {
      onprogress: (update) => progress.push(update.progress),
    });
    const observed = {
      server: client.getServerVersion()?.name,
      sessionId: transport.sessionId,
      sum: result.content?.[0]?.text,
      progress,
      announced,
    };
    if (sessions) {
      if (transport.sessionId === undefined) throw new Error("no session id: the server answered statelessly");
      // The SDK opens the GET stream by itself after initialize, and a first GET replays nothing: a
      // notification raised before it is attached stays in the session's log only. Announce again
      // until one is heard.
      let heardOne = false;
      void notified.then(() => {
        heardOne = true;
      });
      for (let attempt = 0; attempt < 20 && !heardOne; attempt++) {
        await client.callTool({ name: "announce", arguments: { message: "hello from the GET stream" } });
        await Promise.race([notified, new Promise((resolve) => setTimeout(resolve, 1_000))]);
      }
      if (!heardOne) throw new Error("no notification on the GET stream");
    }
    return observed;
  } finally {
    await transport.terminateSession().catch(() => {});
    await client.close();
  }
}

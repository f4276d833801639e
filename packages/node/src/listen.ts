import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ListenInfo } from "./types.js";

/** Binds `server`, resolving with the real address once bound and rejecting if it cannot be (e.g. EADDRINUSE). */
export function listen(server: Server, port: number, hostname: string): Promise<ListenInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(port, hostname, () => {
      server.off("error", onError);
      const address = server.address() as AddressInfo;
      resolve({ address: address.address, port: address.port, family: address.family });
    });
  });
}

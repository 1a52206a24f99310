// dev-env's servers call listen(port) with no host, which binds every interface. Imported first, this makes a
// listen() without a host bind 127.0.0.1, so the test peer is never reachable from outside the machine.
import net from "node:net";

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const [first] = args;
  if (first == null || typeof first === "function") args.splice(0, first == null ? 1 : 0, 0, "127.0.0.1");
  else if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
    if (typeof args[1] !== "string") args.splice(1, 0, "127.0.0.1");
  } else if (typeof first === "object" && first.host === undefined && first.path === undefined && first.handle === undefined && first.fd === undefined) {
    args[0] = { ...first, host: "127.0.0.1" };
  }
  return listen.apply(this, args);
};

import { redisSuite } from "./suite.js";

redisSuite("node-redis");

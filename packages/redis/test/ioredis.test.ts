import { redisSuite } from "./suite.js";

redisSuite("ioredis");

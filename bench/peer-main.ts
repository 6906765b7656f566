import { startPeer } from './peer-server.js';

/** The peer as a process of its own (as our server runs), for the load comparison: prints its address once ready. */
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const peer = await startPeer(url, Number(process.env.DB_POOL_MAX ?? 10));
console.log(`peer ready at ${peer.url}`);
const stop = () => void peer.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

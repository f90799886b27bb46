// cosmjs against a running localnet, unchanged: what a dapp does with @cosmjs/stargate.
//
//   node tests/js/cosmjs_e2e.mjs RPC_URL MNEMONIC RECIPIENT UNKNOWN_ADDRESS
//
// Prints one JSON object with what each call returned (or the error it threw); the Python test
// (tests/e2e/test_cosmjs.py) asserts on it and checks the chain's side.
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient, StargateClient, coins } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";

const [rpc, mnemonic, recipient, unknown] = process.argv.slice(2);
const out = {};

async function attempt(name, fn) {
  try {
    out[name] = await fn();
  } catch (e) {
    out[name] = { error: String(e && e.message ? e.message : e) };
  }
}

const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "stateset" });
const [{ address }] = await wallet.getAccounts();
const client = await SigningStargateClient.connectWithSigner(rpc, wallet, {
  gasPrice: GasPrice.fromString("0.025uusdc"),
});
const reader = await StargateClient.connect(rpc);

out.address = address;
await attempt("chainId", () => reader.getChainId());
await attempt("height", () => reader.getHeight());
await attempt("account", () => reader.getAccount(address));
await attempt("unknownAccount", () => reader.getAccount(unknown));
await attempt("unknownSequence", () => reader.getSequence(unknown));
await attempt("balance", () => reader.getBalance(address, "uusdc"));
await attempt("allBalances", () => reader.getAllBalances(address));
await attempt("balanceStaked", () => reader.getBalanceStaked(address));
await attempt("delegation", () => reader.getDelegation(address, "statesetvaloper1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq0dkjv"));

const send = (amount) => ({
  typeUrl: "/cosmos.bank.v1beta1.MsgSend",
  value: { fromAddress: address, toAddress: recipient, amount: coins(amount, "uusdc") },
});
await attempt("simulate", () => client.simulate(address, [send(1234)], "cosmjs simulate"));

const summary = (r) => ({
  code: r.code, height: r.height, transactionHash: r.transactionHash,
  gasUsed: String(r.gasUsed), gasWanted: String(r.gasWanted),
  events: r.events.map((e) => e.type),
});
await attempt("autoSend", async () =>
  summary(await client.sendTokens(address, recipient, coins(4321, "uusdc"), "auto", "cosmjs auto")));
await attempt("multiplierSend", async () =>
  summary(await client.sendTokens(address, recipient, coins(5, "uusdc"), 1.6, "cosmjs x1.6")));

if (out.autoSend && out.autoSend.transactionHash) {
  await attempt("getTx", async () => {
    const tx = await reader.getTx(out.autoSend.transactionHash);
    return tx && { hash: tx.hash, height: tx.height, code: tx.code, gasUsed: String(tx.gasUsed) };
  });
  const hashes = async (query) => (await reader.searchTx(query)).map((t) => t.hash);
  await attempt("searchSender", () => hashes(`message.sender='${address}'`));
  await attempt("searchTransferRecipient", () => hashes(`transfer.recipient='${recipient}'`));
  await attempt("searchTransferSender", () => hashes(`transfer.sender='${address}'`));
  await attempt("searchHeight", () => hashes(`tx.height=${out.autoSend.height}`));
}

// A tx signed by cosmjs but not broadcast: the Python test sends it over REST.
await attempt("signedForRest", async () => {
  const fee = { amount: coins(5000, "uusdc"), gas: "200000" };
  const signed = await client.sign(address, [send(777)], fee, "cosmjs signed, REST broadcast");
  return Buffer.from(TxRaw.encode(signed).finish()).toString("base64");
});

client.disconnect();
reader.disconnect();
const plain = (_k, v) => (typeof v === "bigint" ? v.toString() : v);
process.stdout.write(JSON.stringify(out, plain) + "\n");

/**
 * `edge-jwt`: the terminal as one more platform. Parses the command line with node:util parseArgs and
 * dispatches to one command per file. Every failure is one line on stderr; exit codes in the README (The CLI).
 * @module
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { realpathSync } from "node:fs";
import type { Command, Io } from "./command.js";
import { CliError, EXIT } from "./errors.js";
import { inspectCommand } from "./commands/inspect.js";
import { keygenCommand } from "./commands/keygen.js";
import { tokenCommand } from "./commands/token.js";
import { verifyCommand } from "./commands/verify.js";
import { assertionJwksCommand } from "./commands/assertion-jwks.js";
import { revokeCommand } from "./commands/revoke.js";
import { dpopCommand } from "./commands/dpop.js";
import { echoable, hideArgs, printable, printableLines } from "./safe.js";
import pkg from "../../package.json" with { type: "json" };

/** Every command, in help order. */
const COMMANDS: Command[] = [
  keygenCommand,
  tokenCommand,
  verifyCommand,
  inspectCommand,
  revokeCommand,
  assertionJwksCommand,
  dpopCommand,
];

const USAGE = `Usage: edge-jwt <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(14)} ${c.summary}`).join("\n")}

Run edge-jwt help <command> (or edge-jwt <command> --help) for its options; edge-jwt --version.
Exit codes: 0 success (verify: valid), 1 token refused or undecodable, 2 wrong usage, 3 keys unavailable.
`;

/**
 * Runs the CLI with `argv` (without node and the script) and resolves to the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await main(["inspect", token], processIo);
 * ```
 */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-v" || name === "version") {
    io.out(`edge-jwt ${pkg.version}\n`);
    return EXIT.ok;
  }
  // `help <command>` is `<command> --help`.
  if (name === "help" && rest.length > 0) return main([rest[0]!, "--help"], io);
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const what = echoable(name)
      ? `unknown command ${JSON.stringify(name)}`
      : "the first argument is not a command (it is not repeated: it is long or looks like a token)";
    io.err(`edge-jwt: ${what}; commands: ${COMMANDS.map((c) => c.name).join(", ")} (see edge-jwt --help)\n`);
    return EXIT.usage;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.out(command.help);
      return EXIT.ok;
    }
    // Everything a command writes passes the terminal filter (its own line breaks kept).
    const safeIo: Io = {
      out: (t) => io.out(printableLines(t)),
      err: (t) => io.err(printableLines(t)),
      stdin: () => io.stdin(),
    };
    return await command.run(values, positionals, safeIo);
  } catch (e) {
    const message = e instanceof CliError ? e.message : parseArgsMessage(e);
    // One line, no control characters, and no argument that is long or looks like a token.
    io.err(
      `edge-jwt ${name}: ${printable(
        hideArgs(
          message,
          rest.map((value) => ({ value, label: "(an argument, not shown)" })),
        ),
      )}\n`,
    );
    return e instanceof CliError ? e.exitCode : EXIT.usage;
  }
}

/** parseArgs errors as one line, without echoing argument values (which may be tokens). */
function parseArgsMessage(e: unknown): string {
  const err = e as { code?: string; message?: string };
  if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const option = /'(-[^']*)'/.exec(err.message ?? "")?.[1];
    if (option !== undefined && echoable(option)) return `${option} is not an option of this command (see --help)`;
    return (
      "an argument starting with - is not an option of this command (it is not repeated: it is long or " +
      "looks like a token); put a token that starts with - after -- (see --help)"
    );
  }
  if (err.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") return `${(err.message ?? "").split(".")[0]} (see --help)`;
  return `unexpected failure: ${(err.message ?? String(e)).split("\n")[0]}`;
}

const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  },
};

const invokedDirectly =
  process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invokedDirectly) process.exitCode = await main(process.argv.slice(2), processIo);

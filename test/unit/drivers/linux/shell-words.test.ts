import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quoteShellWord, shellCommandLine, ShellWordError, splitCommand } from '../../../../src/drivers/linux/shell-words.js';

/** What a real POSIX shell makes of a command line: the argv printf receives, NUL-separated. */
function argvThroughShell(shell: string, words: readonly string[]): string[] {
  const line = shellCommandLine(['printf', '%s\\0', ...words]);
  const out = execFileSync(shell, ['-c', line], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const NASTY = ["it's", 'a b', '$HOME', '`id`', '$(id)', '"q"', 'back\\slash', ';rm -rf /', '*', '~', 'new\nline', '', "'", '-n', '%s', 'ünï'];

describe('shell quoting for SSH exec (the one function every remote argv goes through)', () => {
  it.each(['/bin/sh', '/bin/bash'])('every word reaches the program unchanged through %s', (shell) => {
    expect(argvThroughShell(shell, NASTY)).toEqual(NASTY);
  });

  it('leaves plain words readable and quotes the rest', () => {
    expect(shellCommandLine(['vtysh', '-c', 'show ip ospf neighbor'])).toBe("vtysh -c 'show ip ospf neighbor'");
    expect(quoteShellWord("it's")).toBe(`'it'\\''s'`);
    expect(quoteShellWord('')).toBe("''");
  });

  it('refuses what cannot be an argument', () => {
    expect(() => quoteShellWord('a\0b')).toThrow(ShellWordError);
    expect(() => shellCommandLine([])).toThrow(/no program/);
  });
});

describe('splitCommand: user text to argv without a shell', () => {
  it('splits on blanks and keeps quoted groups whole', () => {
    expect(splitCommand('ping -c 3 10.0.0.1')).toEqual(['ping', '-c', '3', '10.0.0.1']);
    expect(splitCommand(`echo 'a b' "c'd"  e`)).toEqual(['echo', 'a b', "c'd", 'e']);
    expect(splitCommand(`grep 'a|b;c' f`)).toEqual(['grep', 'a|b;c', 'f']);
  });

  it.each(['ip route | grep 10', 'ls; id', 'cat /etc/shadow > x', 'echo $HOME', 'echo `id`', 'ls *', 'a && b', 'echo $(id)'])(
    'refuses shell syntax, naming the character: %s',
    (text) => {
      expect(() => splitCommand(text)).toThrow(/is shell syntax/);
    },
  );

  it('refuses an unbalanced quote', () => {
    expect(() => splitCommand(`echo 'oops`)).toThrow(/unbalanced ' quote/);
  });
});

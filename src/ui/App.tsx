/**
 * The chat-style tutor screen: committed transcript in <Static> (written once, so long sessions
 * stay fast), then the live part: completion candidates, a notice, the status line and the prompt.
 * All state lives in ReplController; this only draws it and forwards raw input.
 */
import { Box, Static, Text, useApp, useStdin, useStdout } from 'ink';
import { useEffect, useSyncExternalStore } from 'react';
import type { ReplController, ReplEntry } from '../app/repl.js';
import { Candidates, Prompt } from './Prompt.js';
import { LiveClusterPanel } from './Panel.js';
import { WaitingLine } from './Spinner.js';
import { StatusLine } from './StatusLine.js';
import { TranscriptItemView } from './Transcript.js';

export function TutorScreen({ controller }: { controller: ReplController }) {
  const snap = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const { stdin, setRawMode, isRawModeSupported, internal_eventEmitter } = useStdin();
  const { exit } = useApp();
  const { stdout } = useStdout();

  // the controller decides what fits (the panel's default); Ink redraws the live part on resize
  useEffect(() => {
    const report = () => controller.setViewport(stdout.columns || 80);
    report();
    stdout.on('resize', report);
    return () => {
      stdout.off('resize', report);
    };
  }, [controller, stdout]);

  useEffect(() => {
    if (!isRawModeSupported) return;
    setRawMode(true);
    const onInput = (data: string) => controller.handleInput(data);
    internal_eventEmitter.on('input', onInput);
    return () => {
      internal_eventEmitter.removeListener('input', onInput);
      setRawMode(false);
    };
  }, [controller, stdin, setRawMode, isRawModeSupported, internal_eventEmitter]);

  // leave once the frame without the live part (panel, status, prompt) is on screen
  useEffect(() => {
    if (snap.exited) exit();
  }, [snap.exited, exit]);

  return (
    <>
      <Static items={snap.entries as ReplEntry[]}>
        {(e) => (
          <Box key={e.id}>
            <TranscriptItemView item={e.item} lang={snap.lang} />
          </Box>
        )}
      </Static>
      {snap.exited ? null : (
        <Box flexDirection="column" marginTop={1}>
          <Candidates items={snap.candidates} />
          {snap.notice ? <Text dimColor>{snap.notice}</Text> : null}
          {snap.panel && snap.clusterWatch ? (
            <LiveClusterPanel watch={snap.clusterWatch} width={snap.columns} height={panelHeight(stdout.rows || 24)} lang={snap.lang} />
          ) : null}
          {snap.waiting ? <WaitingLine reason={snap.waiting} lang={snap.lang} /> : null}
          <StatusLine status={snap.status} busy={snap.busy} queued={snap.queued} />
          <Prompt line={snap.line} busy={snap.busy && !snap.attached} suggestion={snap.suggestion} search={snap.search} prefix={snap.attached?.prompt} question={snap.question} />
        </Box>
      )}
    </>
  );
}

/** the panel takes a share of the screen's height: enough to see, leaving room for the transcript */
function panelHeight(rows: number): number {
  return Math.max(6, Math.min(20, Math.floor(rows * 0.45)));
}

import type { ReactNode } from 'react';
import { BRIGHTNESS_MAX, BRIGHTNESS_MIN } from '@clearway/imaging';
import { type ToolCommand, toolKey } from '../keys.ts';
import { toolsChanged } from './image-tools.ts';
import { toggleHelp } from './help-store.ts';
import { applyToolCommand, toolsOf, useImageTools } from './image-tools-store.ts';
import { ZOOM_MAX, ZOOM_MIN } from './viewport.ts';

interface ToolProps {
  assignmentId: string;
  command: ToolCommand;
  /** Shown on the button next to its key cap; none for the small step buttons. */
  label?: ReactNode;
  active?: boolean;
  disabled?: boolean;
  title?: string;
  testId: string;
}

function Tool({ assignmentId, command, label, active, disabled, title, testId }: ToolProps) {
  const key = toolKey(command);
  return (
    <button
      type="button"
      className={`tool${active ? ' active' : ''}${label === undefined ? ' tool-step' : ''}`}
      aria-pressed={active === undefined ? undefined : active}
      aria-keyshortcuts={key.keys[0]}
      title={`${title ?? key.label} (${key.cap})`}
      disabled={disabled}
      data-testid={testId}
      // Keep the keyboard focus where it was: a focused button would take Space and Enter.
      onMouseDown={(event) => event.preventDefault()}
      onClick={() => applyToolCommand(assignmentId, command)}
    >
      <kbd>{key.cap}</kbd>
      {label !== undefined && <span className="tool-label">{label}</span>}
    </button>
  );
}

function Group({ name, children }: { name: string; children: ReactNode }) {
  return (
    <div className="tool-group" role="group" aria-label={name}>
      <span className="tool-group-name">{name}</span>
      <div className="tool-group-items">{children}</div>
    </div>
  );
}

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');

/** Every image tool with its key; the active ones lit. */
export function ToolBar({ assignmentId, materialInfo, boxCount }: { assignmentId: string; materialInfo: boolean; boxCount: number }) {
  const tools = useImageTools((s) => toolsOf(s, assignmentId));
  const { settings } = tools;
  const zooms = Object.values(tools.viewports).map((vp) => vp.zoom);
  const zoom = zooms.length > 0 ? Math.max(...zooms) : 1;
  const p = { assignmentId };
  const noMaterial = materialInfo ? undefined : 'Single-energy image: no material information';
  return (
    <div className="tool-bar" role="toolbar" aria-label="Image tools" data-testid="tool-bar">
      <Group name="Image">
        <Tool {...p} command="mode-colour" label="Colour" active={settings.mode === 'colour'} testId="tool-colour" />
        <Tool {...p} command="mode-grayscale" label="Gray" active={settings.mode === 'grayscale'} testId="tool-grayscale" />
        <Tool {...p} command="inverse" label="Inverse" active={settings.inverse} testId="tool-inverse" />
      </Group>
      <Group name="Material">
        <Tool {...p} command="strip-organic" label="OS" title={noMaterial ?? 'Organic strip: hide organics'} active={settings.strip === 'organic'} disabled={!materialInfo} testId="tool-strip-organic" />
        <Tool {...p} command="strip-inorganic" label="IS" title={noMaterial ?? 'Inorganic strip: hide inorganic and metal'} active={settings.strip === 'inorganic'} disabled={!materialInfo} testId="tool-strip-inorganic" />
      </Group>
      <Group name="Enhance">
        <Tool {...p} command="edge" label="Edge" active={settings.edge} testId="tool-edge" />
        <Tool {...p} command="mark" label="Impenetrable" active={settings.markImpenetrable} testId="tool-mark" />
      </Group>
      <Group name="Brightness">
        <Tool {...p} command="darker" disabled={settings.brightness <= BRIGHTNESS_MIN} testId="tool-darker" />
        <output className={`tool-value${settings.brightness !== 0 ? ' changed' : ''}`} data-testid="brightness" title="Brightness step (gamma)">
          {signed(settings.brightness)}
        </output>
        <Tool {...p} command="brighter" disabled={settings.brightness >= BRIGHTNESS_MAX} testId="tool-brighter" />
      </Group>
      <Group name="Density">
        <Tool
          {...p}
          command="slice"
          label={
            <>
              Slice <span className="tool-window" data-testid="slice-window">{settings.slice.lo.toFixed(2)}–{settings.slice.hi.toFixed(2)}</span>
            </>
          }
          title="Density slice: show only this attenuation window"
          active={settings.slice.enabled}
          testId="tool-slice"
        />
        <Tool {...p} command="slice-down" testId="tool-slice-down" />
        <Tool {...p} command="slice-up" testId="tool-slice-up" />
      </Group>
      <Group name="Zoom">
        <Tool {...p} command="zoom-out" disabled={zoom <= ZOOM_MIN} testId="tool-zoom-out" />
        <output className={`tool-value${zoom > 1 ? ' changed' : ''}`} data-testid="zoom-level" title="Largest zoom of the views">
          {zoom < 10 ? zoom.toFixed(1) : zoom.toFixed(0)}×
        </output>
        <Tool {...p} command="zoom-in" disabled={zoom >= ZOOM_MAX} testId="tool-zoom-in" />
        <Tool {...p} command="zoom-reset" label="Fit" disabled={zoom <= ZOOM_MIN} testId="tool-zoom-reset" />
      </Group>
      <Group name="Machine">
        <Tool {...p} command="boxes" label={`Boxes${boxCount > 0 ? ` ${boxCount}` : ''}`} active={tools.showBoxes} disabled={boxCount === 0} testId="tool-boxes" />
      </Group>
      <div className="tool-bar-end">
        <Tool {...p} command="reset" label="Reset" disabled={!toolsChanged(tools)} testId="tool-reset" />
        <button
          type="button"
          className="tool"
          title="Keys (?)"
          aria-keyshortcuts="?"
          data-testid="tool-help"
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => toggleHelp()}
        >
          <kbd>?</kbd>
          <span className="tool-label">Keys</span>
        </button>
      </div>
    </div>
  );
}

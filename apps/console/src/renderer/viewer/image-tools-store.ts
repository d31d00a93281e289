import { create } from 'zustand';
import type { ViewName } from '@clearway/protocol';
import type { ToolCommand } from '../keys.ts';
import { INITIAL_TOOLS, type ToolState, applyTool, withFrame, withViewport } from './image-tools.ts';
import type { ViewFrame, Viewport } from './viewport.ts';

/**
 * The image tools of one assignment. Anything asked of another assignment starts from
 * INITIAL_TOOLS: the next bag can never inherit a tool, a zoom or a hidden box.
 */
export interface ImageToolsState {
  assignmentId: string | null;
  tools: ToolState;
}

export const useImageTools = create<ImageToolsState>()(() => ({ assignmentId: null, tools: INITIAL_TOOLS }));

/** Selector: the tools of this assignment (the initial ones until it changes one). */
export function toolsOf(state: ImageToolsState, assignmentId: string): ToolState {
  return state.assignmentId === assignmentId ? state.tools : INITIAL_TOOLS;
}

function update(assignmentId: string, change: (tools: ToolState) => ToolState): void {
  useImageTools.setState((state) => {
    const tools = change(toolsOf(state, assignmentId));
    return tools === state.tools && state.assignmentId === assignmentId ? state : { assignmentId, tools };
  });
}

export function applyToolCommand(assignmentId: string, command: ToolCommand): void {
  update(assignmentId, (tools) => applyTool(tools, command));
}

export function reportFrame(assignmentId: string, view: ViewName, frame: ViewFrame): void {
  update(assignmentId, (tools) => withFrame(tools, view, frame));
}

export function setViewport(assignmentId: string, view: ViewName, viewport: Viewport): void {
  update(assignmentId, (tools) => withViewport(tools, view, viewport));
}

import { createContext, useContext } from 'react';
import type { ConsoleController } from './console-controller.ts';

export const ControllerContext = createContext<ConsoleController | null>(null);

export function useController(): ConsoleController {
  const controller = useContext(ControllerContext);
  if (!controller) throw new Error('useController outside <ControllerContext.Provider>');
  return controller;
}

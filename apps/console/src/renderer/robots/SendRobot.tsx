/**
 * Screening workspace, beside the last decision: after a bag is flagged for search, "Send robot"
 * (T) asks the hub for a robot to carry it to the search station; the mission's state follows.
 */
import { useEffect } from 'react';
import { useController } from '../controller-context.ts';
import { missionForBag } from './missions.ts';
import { missionText, robotName } from './robot-format.ts';
import { useRobots } from './robot-store.ts';
import { SEND_ROBOT_KEY, isSendRobotKey } from './send-robot.ts';

export function SendRobot() {
  const controller = useController();
  const dispatch = useRobots((s) => s.dispatch);
  const mission = useRobots((s) => (s.dispatch ? missionForBag(s.missions, s.dispatch.bagId) : null));
  const open = dispatch !== null && (dispatch.phase === 'offered' || dispatch.phase === 'failed');

  useEffect(() => {
    if (!open || !dispatch) return;
    function onKey(event: KeyboardEvent): void {
      if (!isSendRobotKey(event) || !dispatch) return;
      event.preventDefault();
      void controller.robots.dispatch(dispatch.bagId, dispatch.bagTag);
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, dispatch, controller]);

  if (!dispatch) return null;
  return (
    <p className="send-robot" data-testid="send-robot" aria-live="polite">
      {open ? (
        <>
          <span>Bag {dispatch.bagTag} flagged for search.</span>
          <button type="button" data-testid="send-robot-button" data-key={SEND_ROBOT_KEY} aria-keyshortcuts={SEND_ROBOT_KEY} onClick={() => void controller.robots.dispatch(dispatch.bagId, dispatch.bagTag)}>
            Send robot
          </button>
          {dispatch.phase === 'failed' && <span className="tone-text-bad">Could not send a robot: {dispatch.error}</span>}
        </>
      ) : dispatch.phase === 'sending' ? (
        <span>Asking for a robot for bag {dispatch.bagTag}…</span>
      ) : (
        <span data-testid="send-robot-mission">
          Bag {dispatch.bagTag}: {mission ? `${missionText(mission)}${mission.robotId ? ` (${robotName(mission.robotId)})` : ''}` : 'robot requested'}
        </span>
      )}
    </p>
  );
}

let audio: AudioContext | undefined;

/**
 * A two-tone chime made in the page with the Web Audio API (no audio file, no online
 * service): a soft ding-dong, as lobby displays sound for a new call. Silent until the
 * browser allows sound (after a person's action on the page, or a kiosk browser's policy).
 */
export function playChime(): void {
  const Context = window.AudioContext;
  if (!Context) return;
  audio ??= new Context();
  if (audio.state === 'suspended') void audio.resume();
  const start = audio.currentTime + 0.02;
  for (const [offset, frequency] of [
    [0, 880],
    [0.45, 660],
  ] as const) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.3, start + offset + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 1.2);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + 1.25);
  }
}

/**
 * The About panel's text. Each OS shows different fields (macOS `version` and
 * `credits`, Linux only name, version, copyright and website), so the versions that
 * matter for a bug report are put where every OS shows them.
 */
import type { AboutPanelOptionsOptions } from 'electron';

export function aboutPanelOptions(appVersion: string, versions: Record<string, string>): AboutPanelOptionsOptions {
  const runtime = Object.entries(versions)
    .filter(([name, version]) => name !== 'topicscope' && version !== '')
    .map(([name, version]) => `${name[0]?.toUpperCase()}${name.slice(1)} ${version}`)
    .join(', ');
  return {
    applicationName: 'Topicscope',
    applicationVersion: `${appVersion} (${runtime})`,
    version: runtime,
    credits: `A desktop MQTT explorer. ${runtime}`,
    copyright: 'MIT License',
  };
}

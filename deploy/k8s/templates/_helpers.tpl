{{/*
One service's settings, resolved: its own block where it has one, else the global block of the same
name. Every template loops over the services and reads them through this, as JSON:
  {{- $s := include "govit.service" (dict "root" $ "name" $name) | fromJson }}
*/}}
{{- define "govit.service" -}}
{{- $root := .root -}}
{{- $name := .name -}}
{{- $g := $root.Values.global -}}
{{- $cfg := index $root.Values.services $name -}}
{{- $out := dict "name" $name -}}
{{- $_ := set $out "fullname" (include "govit.fullname" (dict "root" $root "name" $name)) -}}
{{- /* cloud-broker -> CLOUD_BROKER, as in GOVIT_CLOUD_BROKER_GRPC */ -}}
{{- $_ := set $out "envName" ($name | replace "-" "_" | upper) -}}
{{- range $key := list "replicas" "resources" "autoscaling" "pdb" "spreadOverNodes" "podAnnotations" "nodeSelector" "tolerations" "affinity" -}}
{{- $_ := set $out $key (hasKey $cfg $key | ternary (index $cfg $key) (index $g $key)) -}}
{{- end -}}
{{- range $key := list "peers" "grpcFrom" "extraEgress" -}}
{{- $_ := set $out $key ((index $cfg $key) | default list) -}}
{{- end -}}
{{- $_ := set $out "env" ($cfg.env | default dict) -}}
{{- $image := $cfg.image | default dict -}}
{{- $_ := set $out "image" (printf "%s:%s" ($image.repository | default (printf "%s/govit-%s" $g.image.registry $name)) ($image.tag | default $g.image.tag | default $root.Chart.AppVersion)) -}}
{{- /* The database URL: an existing Secret, or one this chart makes from the URL (evaluation). */ -}}
{{- $db := $cfg.database -}}
{{- if $db.existingSecret -}}
{{- $_ := set $out "databaseSecret" $db.existingSecret -}}
{{- else if $db.url -}}
{{- $_ := set $out "databaseSecret" (printf "%s-database" (get $out "fullname")) -}}
{{- else -}}
{{- fail (printf "services.%s.database: set existingSecret (a Secret with the URL) or url" $name) -}}
{{- end -}}
{{- $_ := set $out "databaseKey" ($db.key | default "database-url") -}}
{{- $_ := set $out "databaseUrl" ($db.url | default "") -}}
{{- $_ := set $out "databasePeers" ($db.networkPeers | default $g.database.networkPeers) -}}
{{- range $peer := (get $out "peers") -}}
{{- $peerCfg := index $root.Values.services $peer -}}
{{- if not (and $peerCfg $peerCfg.enabled) -}}
{{- fail (printf "services.%s.peers names %s, which is not an enabled service" $name $peer) -}}
{{- end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/*
Intake's forwarding to the city (C6), checked, as JSON: cityGrpc, and where the city's CA comes
from (caKind configMap or secret, caName; none: grpcio's public roots).
  {{- $fw := include "govit.forwarding" $ | fromJson }}
Its settings have one place, the forwarding block: services.intake.env may not set them as well.
*/}}
{{- define "govit.forwarding" -}}
{{- $cfg := .Values.services.intake -}}
{{- $fw := $cfg.forwarding | default dict -}}
{{- $ca := $fw.ca | default dict -}}
{{- $out := dict "cityGrpc" ($fw.cityGrpc | default "") -}}
{{- range $key := list "GOVIT_CITY_INTAKE_GRPC" "GOVIT_CITY_INTAKE_GRPC_TLS" "GOVIT_CITY_INTAKE_GRPC_CA_FILE" "GOVIT_CITY_INTAKE_GRPC_SERVER_NAME" "GOVIT_JURISDICTION_NAME" "GOVIT_FORWARD_TIMEOUT_SECONDS" -}}
{{- if hasKey ($cfg.env | default dict) $key -}}
{{- fail (printf "services.intake.env.%s: set it in services.intake.forwarding instead" $key) -}}
{{- end -}}
{{- end -}}
{{- $sources := list -}}
{{- range $source := list "existingConfigMap" "existingSecret" "pem" -}}
{{- if index $ca $source -}}{{- $sources = append $sources $source -}}{{- end -}}
{{- end -}}
{{- if gt (len $sources) 1 -}}
{{- fail (printf "services.intake.forwarding.ca: set one of existingConfigMap, existingSecret or pem, not %s" (join " and " $sources)) -}}
{{- end -}}
{{- $given := dict "ca" (gt (len $sources) 0) "serverName" (ne ($fw.serverName | default "") "") -}}
{{- range $key := list "ca" "serverName" -}}
{{- if and (index $given $key) (not $fw.cityGrpc) -}}
{{- fail (printf "services.intake.forwarding.%s is set but cityGrpc is empty" $key) -}}
{{- end -}}
{{- if and (index $given $key) (not $fw.tls) -}}
{{- fail (printf "services.intake.forwarding.%s is set but tls is false: it is used over TLS only" $key) -}}
{{- end -}}
{{- end -}}
{{- if $ca.existingConfigMap -}}
{{- $_ := set $out "caKind" "configMap" -}}
{{- $_ := set $out "caName" $ca.existingConfigMap -}}
{{- else if $ca.existingSecret -}}
{{- $_ := set $out "caKind" "secret" -}}
{{- $_ := set $out "caName" $ca.existingSecret -}}
{{- else if $ca.pem -}}
{{- $_ := set $out "caKind" "configMap" -}}
{{- $_ := set $out "caName" (printf "%s-city-ca" .Release.Name | trunc 63 | trimSuffix "-") -}}
{{- end -}}
{{- $_ := set $out "caKey" ($ca.key | default "ca.crt") -}}
{{- toJson $out -}}
{{- end -}}

{{/* The services that are enabled, sorted: every template loops over this list. */}}
{{- define "govit.enabled" -}}
{{- $names := list -}}
{{- range $name, $cfg := .Values.services -}}
{{- if $cfg.enabled -}}{{- $names = append $names $name -}}{{- end -}}
{{- end -}}
{{- toJson (dict "names" (sortAlpha $names)) -}}
{{- end -}}

{{- define "govit.fullname" -}}
{{- printf "%s-%s" .root.Release.Name .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Names of the shared objects. */}}
{{- define "govit.configName" -}}
{{- printf "%s-config" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- define "govit.jwtSecretName" -}}
{{- .Values.global.auth.publicKey.existingSecret | default (printf "%s-jwt" .Release.Name | trunc 63 | trimSuffix "-") -}}
{{- end -}}
{{- define "govit.signingKeySecretName" -}}
{{- .Values.services.audit.signingKey.existingSecret | default (printf "%s-audit-signing-key" .Release.Name | trunc 63 | trimSuffix "-") -}}
{{- end -}}

{{- define "govit.selectorLabels" -}}
app.kubernetes.io/name: govit
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "govit.labels" -}}
{{ include "govit.selectorLabels" . }}
app.kubernetes.io/part-of: govit
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{/* Labels of objects shared by all services. */}}
{{- define "govit.commonLabels" -}}
app.kubernetes.io/name: govit
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: govit
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Hardened pods: non-root, no privilege escalation, read-only root, no capabilities. */}}
{{- define "govit.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}
{{- define "govit.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* The database URL from its Secret. */}}
{{- define "govit.databaseEnv" -}}
- name: GOVIT_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .databaseSecret }}
      key: {{ .databaseKey }}
{{- end -}}

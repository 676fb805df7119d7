{{- define "quarry.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "quarry.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "quarry.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "quarry.selectorLabels" -}}
app.kubernetes.io/name: {{ include "quarry.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "quarry.labels" -}}
helm.sh/chart: {{ include "quarry.chart" . }}
{{ include "quarry.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "quarry.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "quarry.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* application.yaml of the ConfigMap: the chart's settings, then .Values.config on top */}}
{{- define "quarry.applicationYaml" -}}
{{- $settings := dict "bucket" .Values.storage.bucket "region" .Values.storage.region "pathStyle" (toString .Values.storage.pathStyle) }}
{{- with .Values.storage.endpoint }}{{ $_ := set $settings "endpoint" . }}{{ end }}
{{- with .Values.storage.prefix }}{{ $_ := set $settings "prefix" . }}{{ end }}
{{- if .Values.storage.existingSecret }}
{{- $_ := set $settings "accessKeyId" "${QUARRY_S3_ACCESS_KEY_ID}" }}
{{- $_ := set $settings "secretAccessKey" "${QUARRY_S3_SECRET_ACCESS_KEY}" }}
{{- end }}
{{- $chart := dict "quarry" (dict
      "db" (dict "url" .Values.database.url "username" .Values.database.username "poolSize" .Values.database.poolSize)
      "storage" (dict "type" "s3" "settings" $settings)
      "grpc" (dict "port" .Values.ports.grpc)
      "kubernetes" (dict "server-address" (printf "%s.%s.svc:%v" (include "quarry.fullname" .) .Release.Namespace .Values.ports.grpc)))
    "server" (dict "port" .Values.ports.http)
    "management" (dict "server" (dict "port" .Values.ports.management "address" "0.0.0.0")) }}
{{- toYaml (mergeOverwrite $chart (deepCopy .Values.config)) }}
{{- end }}

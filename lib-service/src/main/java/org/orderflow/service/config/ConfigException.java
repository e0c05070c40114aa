package org.orderflow.service.config;

import org.orderflow.service.ServiceException;

/** A configuration variable is missing or malformed; the message names the variable and what it must be. */
public class ConfigException extends ServiceException {
    public ConfigException(String message) {
        super(message);
    }
}
